"""The shape of the code: import layers, no import cycles, module sizes."""
