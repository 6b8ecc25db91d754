"""The terminal interview: state machine and loop (front ends live in ozgkompass/cli)."""
