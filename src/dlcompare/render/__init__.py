"""Renderers: one module per output format, all fed the same result objects.

`layout` turns a result into human-facing blocks (shared by the terminal table and Markdown);
`csv` and `json` are the machine formats. Renderers format; they never filter, sort or compute.
"""
