"""Where answers come from and go to: answers files, spreadsheets, interviews."""
