"""The sales ladder board (LAD-04): the clients one may open as cards in columns by their stage of the sales ladder,
moved by drag and drop through clients' one ladder service, with per-column counts and the conversion between
stages over a period, computed from the stage-change rows every path writes."""
