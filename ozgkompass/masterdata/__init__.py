"""Official master data of municipalities (the Destatis Gemeindeverzeichnis, GV100AD)."""
