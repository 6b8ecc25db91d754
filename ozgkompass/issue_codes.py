"""The issue codes: stable strings for scripts (`Issue.code`, `--json`), each with a
German template that says what the problem is (docs/issue-codes.md lists them all;
tests/test_issue_codes.py keeps code, docs and call sites in agreement).

A code never changes its string once released: scripts filter on it. Add a new member
for a new kind of problem, with its template, and list it in docs/issue-codes.md.
"""

from __future__ import annotations

from enum import StrEnum


class IssueCode(StrEnum):
    """An issue code; its value is the stable string, `template` the German sentence."""

    template: str

    def __new__(cls, code: str, template: str) -> IssueCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.template = template
        return member

    @classmethod
    def of(cls, code: str) -> IssueCode:
        """The member with this code string (read back from JSON); ValueError if unknown."""
        try:
            return cls._value2member_map_[code]  # type: ignore[return-value]
        except (KeyError, TypeError):
            raise ValueError(f"unbekannter Problem-Code {code!r}") from None

    AMBIGUOUS_NUMBER = ('ambiguous-number',
        '„{text}“ bei {id} ist mehrdeutig (Tausenderpunkt oder Dezimalpunkt?); bitte als Zahl'
        ' eintragen, nicht als Text.')
    ANSWER_ELSEWHERE = ('answer-elsewhere',
        'In {cell_name} ({label}) steht „{text}“, eine Antwort auf {id}, aber die Spalte '
        'Antwort ({cell_name}) ist leer; die Frage bleibt offen. Bitte die Antwort in die '
        'Spalte Antwort eintragen.')
    APPLIES_IF = 'applies-if', '`applies_if` {applies} unbekannt; erlaubt: {APPLIES_IF}.'
    APPLIES_TO = ('applies-to',
        '`applies_to.{attr}` in {what}: {bad} ist nicht erlaubt; möglich: {map}.')
    ARS = ('ars',
        'Der Amtliche Regionalschlüssel {ars} ist ungültig: er muss aus 12 Ziffern bestehen '
        'und in Anführungszeichen stehen.')
    ARS_LAND = ('ars-land',
        'Der Regionalschlüssel {ars} gehört zu {land_ars}, angegeben ist {land}; eines von '
        'beiden korrigieren.')
    AUDIENCE = ('audience',
        '{where}: `audience: {value}` ist unbekannt; erlaubt: {AUDIENCES} oder null.')
    BAD_ID = ('bad-id',
        '{was}: {wert} ist keine gültige ID (nur Kleinbuchstaben, Ziffern, `.`, `_` und `-`).')
    BAD_TYPE = 'bad-type', 'Fragetyp {raw_type} in {what} ist unbekannt. Erlaubt: {value}.'
    BAD_VALUE = ('bad-value',
        '`value` {value} in {owhat}: nur Kleinbuchstaben, Ziffern, `_` und `-`.')
    BAND_ORDER = 'band-order', '`maturity_bands` müssen nach `min` aufsteigend sortiert sein.'
    BAND_START = 'band-start', 'Das erste Reifeband muss bei `min: 0` beginnen.'
    CASE_VOLUME = ('case-volume',
        '{what}: `case_volume` muss eine Zahl ≥ 0 (Fälle pro Jahr) sein, ist {case_volume}.')
    COMPLIANT_LEVEL = 'compliant-level', '`compliant_level` muss eine Stufe des Modells sein.'
    CONDITION_LATER = ('condition-later',
        'Bedingung in {what} verweist auf {ref}, die erst später gefragt wird. Bedingungen '
        'dürfen nur frühere Fragen prüfen; Reihenfolge ändern.')
    CONDITION_SYNTAX = 'condition-syntax', 'Bedingung in {what}: {message}'
    CONDITION_UNKNOWN = ('condition-unknown',
        'Bedingung in {what} verweist auf unbekannte Frage {ref}.')
    CONDITION_VALUE = ('condition-value',
        'Bedingung in {what}: {value} ist keine Antwortoption von {ref}. Möglich: {allowed}.')
    CONFLICT = ('conflict',
        'OZG-Leistung {ozg_id}: {was} {neu} weicht von {alt} ({wo}) ab; der erste Wert '
        'bleibt.')
    CRITERION_LEVEL = ('criterion-level',
        'Stufe {level} für Kriterium {cid} in {what}: erlaubt sind ganze Zahlen '
        '{lowest_level}–{highest_level} ({id}).')
    CSV_HEADER = ('csv-header',
        'Die erste Zeile muss die Spalten „frage_id“ und „antwort“ nennen, getrennt durch '
        'Semikolon, Komma oder Tabulator.')
    CSV_SYNTAX = ('csv-syntax',
        'Die CSV-Datei ist hier nicht lesbar (Anführungszeichen nicht geschlossen oder Zelle '
        'zu lang); bitte in Excel oder LibreOffice neu als CSV speichern.')
    DATE = 'date', 'Datum „{wert}“ ist kein gültiges Datum; bitte als TT.MM.JJJJ eintragen.'
    DDV_ROW = 'ddv-row', 'Ein Eintrag des Dashboards ist unbrauchbar ({problem}); übersprungen.'
    DUPLICATE_ID = ('duplicate-id',
        'Die ID {id} kommt doppelt vor (zuerst Zeile {zeile}); IDs müssen eindeutig sein.')
    DUPLICATE_KEY = ('duplicate-key',
        'Schlüssel {k} steht doppelt in dieser Zuordnung (zuerst in Zeile {first}); der '
        'zweite Wert würde den ersten still ersetzen. Einen der beiden entfernen.')
    DUPLICATE_LEIKA = ('duplicate-leika',
        'LeiKa-Leistung {shown_key} steht bei OZG-Leistung {ozg_id} schon in {where}{detail};'
        ' doppelte Zeile ignoriert.')
    DUPLICATE_MUNICIPALITY = ('duplicate-municipality',
        'Regionalschlüssel {ars} steht in mehreren Lieferungen; die neueste zählt, die ältere'
        ' ist ersetzt.')
    DUPLICATE_OZG_ID = ('duplicate-ozg-id',
        '{what} steht doppelt (zuerst als services[{seen}]); jede OZG-ID nur einmal '
        'eintragen.')
    DUPLICATE_VALUE = ('duplicate-value',
        'Optionswert {value} kommt in {what} doppelt vor (zuerst Zeile {seen}).')
    EMPTY = 'empty', '{was} ist leer; es fehlen die nötigen Angaben.'
    EMPTY_TABLE = ('empty-table',
        'Die Datei enthält nur die Kopfzeile, keine OZG-Leistung; die vollständige Tabelle '
        'angeben.')
    EMPTY_TEXT = 'empty-text', '{was}: `{schluessel}` ist leer oder kein Text.'
    ENCODING = 'encoding', 'Datei ist nicht UTF-8-kodiert ({wie}); bitte als UTF-8 speichern.'
    ENCODING_CP1252 = ('encoding-cp1252',
        'Datei ist nicht UTF-8-kodiert und wurde als Windows-1252 gelesen; Umlaute in der '
        'Ausgabe prüfen.')
    EXCLUSIVE = 'exclusive', '`exclusive` in {owhat} gibt es nur bei multiple_choice.'
    EXECUTED_BY = 'executed-by', '{what}: `executed_by: {executed_by}` ist unbekannt.'
    FEW_OPTIONS = 'few-options', '{what} braucht mindestens zwei Optionen.'
    FILE = 'file', 'Die Datei {datei} kann nicht gelesen werden: {grund}'
    FORMAT = ('format',
        'Formatversion {format} wird nicht unterstützt; diese ozgkompass-Version liest Format'
        ' {unterstuetzt}.')
    FORMAT_MISSING = 'format-missing', '`format: 1` fehlt; Format 1 wird angenommen.'
    FORMULA = ('formula',
        'Die Zelle enthält eine Formel; bitte den Wert selbst eintragen (Formeln werden nicht'
        ' ausgewertet).')
    FRONTEND_LEVEL = 'frontend-level', '`frontend_level` muss eine Stufe des Modells sein.'
    GROUP_BY = ('group-by',
        '`group_by` in {what}: {group_by} ist nicht erlaubt; möglich: {GROUP_BY}.')
    GV100AD_KREIS = 'gv100ad-kreis', 'municipality.kreis {kreis} weicht ab: laut {stand} „{kreis}“.'
    GV100AD_LINE = ('gv100ad-line',
        'Zeile des Gemeindeverzeichnisses unbrauchbar ({problem}); übersprungen.')
    GV100AD_NAME = ('gv100ad-name',
        'municipality.name {name} passt nicht zum Regionalschlüssel {ars}: laut {stand} '
        '„{display_name}“.')
    GV100AD_POPULATION = ('gv100ad-population',
        'municipality.population {pop} weicht um mehr als {POPULATION_TOLERANCE} % ab: laut '
        '{stand} {population} Einwohner.')
    GV100AD_TYPE = ('gv100ad-type',
        'municipality.type {mtype} weicht ab: laut {stand} {kind} ({type}).')
    HIDDEN_ANSWER = ('hidden-answer',
        'Frage {id} wird wegen ihrer Bedingung ({source}) nicht gestellt; die Antwort wird '
        'ignoriert.')
    IN_PERSON_LEVEL = 'in-person-level', '`in_person_level` muss eine Stufe des Modells sein.'
    INVALID_VALUE = 'invalid-value', 'Antwort auf {id}: {problem}.'
    JSON_SYNTAX = 'json-syntax', 'JSON-Syntaxfehler: {msg}.'
    KEY_NOT_ALLOWED = ('key-not-allowed',
        '`{schluessel}` gibt es nur bei Fragen vom Typ {typ} ({was} ist {fragetyp}).')
    KREIS = ('kreis',
        'Kreis „{given}“ passt nicht zum Regionalschlüssel {rec}, der zu {expected} gehört; '
        'in der Übersicht steht {expected}.')
    LAGE_NORMALISED = ('lage-normalised',
        'Lage {wert} unterscheidet sich von {erste} nur in der Schreibweise; als {erste} '
        'übernommen.')
    LAND = ('land',
        'Land {land} ist unbekannt; erwartet wird ein Land (Name oder Kürzel), z. B. '
        '{beispiele}.')
    LEIKA_KEY = ('leika-key',
        '{where}: LeiKa-Schlüssel {key} muss aus 14 Ziffern bestehen (als Text) oder null '
        'sein.')
    LEIKA_KEY_INVALID = ('leika-key-invalid',
        'LeiKa-Schlüssel {schluessel} ist keine 14-stellige Nummer ({grund}); ohne Schlüssel '
        'übernommen.')
    LEIKA_KEY_MISSING = ('leika-key-missing',
        'Kein LeiKa-Schlüssel; als Leistung ohne Schlüssel übernommen.')
    LEIKA_KEY_NOT_NUMERIC = ('leika-key-not-numeric',
        'LeiKa-Schlüssel {raw} ist keine Nummer; als Leistung ohne Schlüssel übernommen.')
    LEIKA_NAME_MISSING = 'leika-name-missing', 'LeiKa-Leistung {schluessel} hat keine Bezeichnung.'
    LEVEL_ORDER = ('level-order',
        'Stufen müssen bei 0 beginnen und lückenlos steigen; erwartet {i}, gefunden {n}.')
    LEVELS = 'levels', 'Ein Reifegradmodell braucht mindestens die Stufen 0 und 1.'
    LOCK_FILE = 'lock-file', 'Sperrdatei eines geöffneten Dokuments; übersprungen.'
    MEMBER_ARS = ('member-ars',
        'Die Mappe wurde für Regionalschlüssel {member} vorbereitet, eingetragen ist {ars}; '
        'bitte prüfen, ob die richtige Mappe ausgefüllt wurde.')
    MERGED_CELLS = 'merged-cells', 'Verbundene Zellen {span}'
    MISSING_FIELD = 'missing-field', 'columns: Pflichtfeld `{key}` fehlt.'
    MISSING_KEY = 'missing-key', '{was}: Pflichtschlüssel `{schluessel}` fehlt.'
    MISSING_REQUIRED = 'missing-required', '{open_required} Pflichtfrage(n) ohne Antwort: {shown}.'
    MISSING_SHEET = ('missing-sheet',
        'Blatt „{blatt}“ fehlt (umbenannt oder gelöscht?); seine Fragen bleiben offen.')
    MODEL_MISMATCH = ('model-mismatch',
        'Der Fragebogen ist für {maturity_model} geschrieben; {id} kann dessen Stufen nicht '
        'übersetzen. Alle Kriterien bleiben unbekannt. Mit --model {maturity_model} bewerten.')
    MOVED_CELLS = ('moved-cells',
        'Die Mappe ist verändert: in {zelle} wird „{erwartet}“ erwartet (Zeilen, Spalten oder'
        ' Optionen verschoben oder gelöscht).')
    MUNICIPALITY_NAME = 'municipality-name', 'Der Name der Kommune fehlt oder ist leer.'
    MUNICIPALITY_TYPE = ('municipality-type',
        '`type` {mtype} ist unbekannt. Erlaubt: {MUNICIPALITY_TYPES}.')
    NA_AND_VALUE = ('na-and-value',
        'Antwort auf {qid} hat einen Wert und zugleich `na: true`; eines von beiden '
        'entfernen.')
    NA_NOT_ALLOWED = ('na-not-allowed',
        'Frage {id} erlaubt „trifft nicht zu“ nicht; bitte eine Antwort geben.')
    NA_REASON = 'na-reason', '„Trifft nicht zu“ bei Frage {id} braucht eine Begründung (`reason`).'
    NAME_MISSING = 'name-missing', 'OZG-Leistung {ozg_id} hat keinen Namen.'
    NO_SCORE = ('no-score',
        '{what}: keine Option hat eine Punktzahl über 0; die Frage könnte nie Punkte bringen.')
    NOT_A_MEMBER = ('not-a-member',
        'Regionalschlüssel {ars} steht nicht in der Mitgliederliste; bewertet, aber keinem '
        'Mitglied zugeordnet. Die Kommune in die Liste aufnehmen oder den Regionalschlüssel '
        'in der Mappe prüfen.')
    NOT_A_NUMBER = 'not-a-number', 'Antwort auf {id} muss eine Zahl sein, gefunden „{text}“.'
    NOT_A_SPREADSHEET = ('not-a-spreadsheet',
        'Keine Tabellendatei, sondern {not_a_workbook}; nicht bewertet, die Kommune zählt als'
        ' nicht zurückgegeben. Bitte die ausgefüllte Mappe (.xlsx oder .ods) anfordern.')
    NOT_A_TEMPLATE = ('not-a-template',
        'Keine ozgkompass-Mappe: das verborgene Blatt „{META_SHEET}“ fehlt. Bitte die Vorlage'
        ' aus `ozgkompass template` verwenden.')
    NOT_IN_LIST = ('not-in-list',
        '„{wert}“ bei {id} steht nicht in der Auswahlliste; erlaubt: {erlaubt}.')
    NUMBER = 'number', '`{key}` in {what} ist keine gültige Zahl (unendlich, NaN oder zu groß).'
    NUMBER_AS_TEXT = ('number-as-text',
        'Zahl bei {id} ist als Text gespeichert; übernommen, bitte als Zahl eintragen.')
    NUMBER_WRITING = 'number-writing', 'Antwort auf {id}: {hint}.'
    OPTIONS_NOT_ALLOWED = ('options-not-allowed',
        '{what}: Fragen vom Typ {qtype} haben keine `options`.')
    OTHERWISE = ('otherwise',
        '`otherwise` in {owhat} gilt für die Leistungen außerhalb von `applies_to` und '
        'braucht darum `applies_to` mit genau einem Merkmal.')
    OUT_OF_RANGE = ('out-of-range',
        '{number} % bei {id} ist mehr als 100 %; bitte den Anteil in Prozent (0 bis 100) '
        'eintragen.')
    OZG_ID = 'ozg-id', '{what}: OZG-ID {raw_id} ist keine fünfstellige Zahl (z. B. "10110").'
    OZG_ID_INVALID = 'ozg-id-invalid', 'OZG-ID {raw} ist keine fünfstellige Zahl (z. B. 10110).'
    OZG_ID_MISSING = ('ozg-id-missing',
        '{was} hat keine OZG-ID und gehört damit zu keiner OZG-Leistung.')
    OZG_ID_UNKNOWN = 'ozg-id-unknown', '{what}: OZG-ID {ozg_id} steht nicht in {shown}.'
    OZG_NAME_MISSING = ('ozg-name-missing',
        'Keine Spalte mit dem Namen der OZG-Leistung; der Name der ersten LeiKa-Leistung '
        'jeder OZG-ID wird verwendet.')
    PHASE_NAME = 'phase-name', 'Phase {phase} braucht einen eindeutigen Namen, z. B. „bis Q2 2027“.'
    PHASES = 'phases', '`phases` ist leer; mindestens eine Phase angeben.'
    POPULATION = 'population', '`population` muss eine ganze Zahl ≥ 0 sein, ist {pop}.'
    PRIORITY = 'priority', '{what}: `priority` muss 1, 2 oder 3 sein, ist {priority}.'
    QUESTIONNAIRE = ('questionnaire',
        'Der Fragebogen zu diesen Antworten ist nicht zu finden: {grund}')
    QUESTIONNAIRE_HASH = ('questionnaire-hash',
        'Der Fragebogen wurde seit der Erfassung verändert (gleiche Version, anderer '
        'Inhalts-Hash); Ergebnisse können abweichen.')
    QUESTIONNAIRE_ID = ('questionnaire-id',
        'Die Antworten gehören zu Fragebogen {id}, geprüft wird gegen {id}.')
    QUESTIONNAIRE_MIGRATED = ('questionnaire-migrated',
        'Die Datei bleibt unverändert; `ozgkompass interview --answers DATEI` schreibt die '
        'neue Fassung und fragt das Neue.')
    QUESTIONNAIRE_VERSION = ('questionnaire-version',
        'Die Antworten gehören zu Version {version} von {fragebogen}, vorhanden ist Version '
        '{vorhanden}; Fragen können sich geändert haben.')
    RANGE = ('range',
        '`{schluessel}` in {was}: {wert} liegt außerhalb des erlaubten Bereichs ({bereich}).')
    REQUIRES = 'requires', '`requires`: {lv} ist keine Stufe des Modells.'
    RESPONSIBILITY = 'responsibility', '{what}: `responsibility: {raw_resp}` ist unbekannt.{hint}'
    RESPONSIBLE = ('responsible',
        '`responsible` {value} in {what} ist unbekannt. Erlaubt: {RESPONSIBLE}.')
    ROSTER_ARS = 'roster-ars', 'Regionalschlüssel „{ars}“ muss aus 12 Ziffern bestehen{hint}.'
    ROSTER_DUPLICATE = ('roster-duplicate',
        'Regionalschlüssel {ars} steht schon in Zeile {seen}; eine der beiden Zeilen löschen.')
    ROSTER_NAME = 'roster-name', 'Zu {ars} fehlt der Name.'
    ROSTER_TYPE = ('roster-type',
        'Art „{raw_type}“ ist unbekannt; erlaubt: {values} (auch Samtgemeinde, '
        'Verbandsgemeinde, Amt).')
    ROW_WIDTH = ('row-width',
        'Zeile hat {headers} Felder, die Kopfzeile nur {headers} (Trennzeichen im Text ohne '
        'Anführungszeichen?).')
    SCOPE = ('scope',
        '`scope.{key}`: {map} ist keine fünfstellige OZG-ID (in Anführungszeichen, z. B. '
        '"10519").')
    SDG_LEVEL = 'sdg-level', '`sdg_level` muss eine Stufe des Modells sein.'
    SERVICES_COUNT = ('services-count',
        '{id}: {online} Leistung(en) als online genannt, aber {frage} zählt {anzahl} '
        'Online-Dienst(e); eine der Angaben prüfen.')
    SMALL_PERCENT = ('small-percent',
        '{number} % bei {qid}: gemeint {number} %? Übernommen als {number} %; Prozent bitte '
        'als Zahl von 0 bis 100 eintragen.')
    TEXT_LANG = ('text-lang',
        '`{key}` in {what}: {lang} ist kein Sprachcode (zwei Kleinbuchstaben wie `de`, `en`).')
    TEXT_NO_DE = 'text-no-de', '`{key}` in {what} hat keinen deutschen Text (`de`).'
    THEMENFELD_MISSING = 'themenfeld-missing', 'OZG-Leistung {ozg_id} hat kein Themenfeld.'
    THEMENFELD_NORMALISED = ('themenfeld-normalised',
        'Themenfeld {wert} unterscheidet sich von {erste} nur in der Schreibweise; als '
        '{erste} übernommen.')
    THEMENFELD_UNKNOWN = ('themenfeld-unknown',
        'Themenfeld {value} ist keines der 14 OZG-Themenfelder; übernommen wie geschrieben.')
    THRESHOLD_ORDER = ('threshold-order',
        '`thresholds` von {what} müssen nach `min` aufsteigend sortiert sein.')
    TOO_MANY_ROWS = ('too-many-rows',
        'Die CSV-Datei hat {zeilen} Zeilen, erlaubt sind {hoechstens}; ist das die richtige '
        'Datei?')
    TRANSLATE_FROM = ('translate-from',
        '`translate_from.{other}` braucht `levels: {{alte Stufe: neue Stufe, …}}}}` mit '
        'ganzen Zahlen.')
    TRUST_LEVEL = ('trust-level',
        '{where}: `trust_level: {value}` ist unbekannt; erlaubt: {TRUST_LEVELS} oder null.')
    TWO_ANSWERS = ('two-answers',
        'Zeile {row} von {id} enthält zwei Angaben: {what1} in {cell_name} und {what2} in '
        '{cell_name}. Bitte nur eines von beiden ausfüllen, das andere leeren.')
    TYP_MISSING = 'typ-missing', 'Keine Typisierung; zählt nicht für die kommunale Zuständigkeit.'
    TYP_MIXED = 'typ-mixed', 'Gemischte Typisierung {value}; zählt mit jedem genannten Typ.'
    TYP_UNKNOWN = ('typ-unknown',
        'Typisierung {value}: {map} ist kein bekannter Typ; so übernommen, zählt aber nicht '
        'für die kommunale Zuständigkeit.')
    TYPE = 'type', '{was} hat den falschen Typ: erwartet wird {erwartet}.'
    UNCLEAR = ('unclear',
        '`unclear` in der Antwort auf {qid} nennt, mit wem die Frage zu klären ist, z. B. '
        '`unclear: IT-Dienstleister`.')
    UNCLEAR_AND_VALUE = ('unclear-and-value',
        'Antwort auf {qid} ist zugleich „weiß nicht / klären mit …“ (`unclear`) und '
        'beantwortet oder „trifft nicht zu“; eines davon entfernen.')
    UNKNOWN_CRITERION = 'unknown-criterion', '`requires` {lv}: Kriterium {c} unbekannt.'
    UNKNOWN_FIELD = 'unknown-field', 'Unbekanntes Feld `{key}` unter columns.'
    UNKNOWN_KEY = 'unknown-key', '{was}: Schlüssel `{schluessel}` ist unbekannt.'
    UNKNOWN_MODEL = ('unknown-model',
        'Reifegradmodell {model_id} ist unbekannt. Verfügbar: {models}.')
    UNKNOWN_QUESTION = ('unknown-question',
        'Frage {id} gibt es im Fragebogen {fragebogen} {version} nicht.')
    UNREADABLE = 'unreadable', 'Datei kann nicht gelesen werden ({strerror}).'
    VALUE = 'value', 'Geplante Antwort auf {qid} in Phase {name} hat keinen Wert.'
    VALUE_INVALID = ('value-invalid',
        '{spalte}: {wert} ist kein gültiger Wert ({erlaubt}); ignoriert oder als unbekannt '
        'gewertet.')
    VERSION_NUMBER = ('version-number',
        '`version: {version}` ist eine Zahl; in Anführungszeichen schreiben ("{version}"), '
        'sonst wird z. B. 2026.10 zu 2026.1.')
    WEIGHT = 'weight', '`{key}` in {what} muss größer als 0 sein, ist {value}.'
    WIRKUNGSKREIS = ('wirkungskreis',
        '{what}: `wirkungskreis: {wirkungskreis}` ist unbekannt; erlaubt: {WIRKUNGSKREISE} '
        'oder null.')
    WORKER_CRASHED = ('worker-crashed',
        'Beim Lesen dieser Datei ist der Arbeitsprozess abgestürzt (Fehler in einer '
        'Bibliothek, vermutlich eine beschädigte oder manipulierte Datei); sie wird '
        'übersprungen. Bitte erneut speichern und senden.')
    YAML_ALIASES = ('yaml-aliases',
        'Zu viele, zu große oder rekursive YAML-Aliase (mehr als {MAX_ALIASES} Aliase oder '
        '{MAX_NODES} Millionen Werte); solche Dateien werden aus Sicherheitsgründen nicht '
        'gelesen.')
    YAML_CHARACTER = 'yaml-character', 'Unerlaubtes Zeichen ({zeichen}) in der Datei; entfernen.'
    YAML_DEPTH = ('yaml-depth',
        'Listen und Zuordnungen sind tiefer als {MAX_DEPTH} Ebenen verschachtelt; so eine '
        'Datei wird nicht gelesen. Die Verschachtelung auflösen oder die richtige Datei '
        'angeben.')
    YAML_KEY = 'yaml-key', 'Ein Schlüssel muss ein einfacher Wert sein.'
    YAML_SYNTAX = ('yaml-syntax',
        'YAML-Syntaxfehler: {what}. Einrückung, Doppelpunkte und Anführungszeichen prüfen.')
    YAML_TAG = ('yaml-tag',
        'YAML-Tag {tag} ist nicht erlaubt; nur einfache Werte, Listen und Zuordnungen. Den '
        'Tag entfernen.')
    YAML_VALUE = ('yaml-value',
        'Wert {wert} ist ungültig ({grund}); korrigieren oder in Anführungszeichen setzen, '
        'wenn Text gemeint ist.')
    YES_NO_OPTIONS = ('yes-no-options',
        '{what}: Optionen einer Ja/Nein-Frage müssen genau die Werte `ja` und `nein` haben, '
        'gefunden: {values}.')
