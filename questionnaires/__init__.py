"""The built-in questionnaires (YAML data, installed as `ozgkompass.questionnaires`)."""
