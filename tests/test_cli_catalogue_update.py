"""`ozgkompass catalogue update` as a user runs it, against the local replay server."""

from __future__ import annotations

from test_catalogue_update import fim  # noqa: F401  (the local FIM-Portal replay server)


def test_update_then_score_against_the_downloaded_catalogue(cli, fim):  # noqa: F811
    code, out, err = cli("catalogue", "update", "--url", fim.url)
    assert code == 0, err
    assert "OZG-Leistungen im Katalog" in out and "Verwenden mit: --catalogue fim" in out
    code, out, err = cli("catalogue", "list")
    assert code == 0 and "fim" in out
    from ozgkompass.model.registry import builtin_examples

    example = next(e for e in builtin_examples() if e.name.startswith("stadt"))
    code, out, err = cli("score", str(example), "--catalogue", "fim")
    assert code == 0, err
    assert "Katalog fim" in out

