"""The use-case layer: what the tool does, typed in and typed out (docs/architecture.md).

Every function here takes plain values and returns dataclasses or the scoring results; it
never prints and never exits: bad input raises `UserError` or `DataError` from
`ozgkompass.errors`, which the CLI turns into German messages and exit codes.
"""
