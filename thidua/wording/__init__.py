"""The words schools and staff read, in Vietnamese (NFC): what a key is called, what a finding
says. Below the checks, so that every layer above words things the same way."""
