"""Renderers: one module per output format, all fed the same result objects.

`layout` hands a result to the module that lays out its family of views as human-facing
blocks (`ratings`, `diff`, `ranking`, `history`, `catalog`, `report`, `measure`, sharing
`common`); `terminal`, `markdown` and `html` draw those blocks. `csv` and JSON are the machine
formats. Renderers format; they never filter, sort or compute.
"""
