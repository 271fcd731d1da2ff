"""The Flexi-filter (REG-04, REG-05, REG-12, LAD-03) and filter templates (REG-06).

A filter is a JSON specification — nested AND/OR groups of conditions over a whitelist of fields —
that the browser sends and templates store; it is never SQL. The modules:

  fields     the catalogue of fields by tab (what may be filtered, with which operators and values)
  spec       `parse` (validate and normalise) and `describe` (human text)
  compile    `to_q`: a parsed specification → one `Q` over `Client`
  templates  static and user templates: list, save, delete, live counts (always inside access)
  session    the registry's active filter kept in the session
"""
