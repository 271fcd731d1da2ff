"""The Flexi-filter (REG-04, REG-05, REG-12, LAD-03) and filter templates (REG-06).

A filter is a JSON specification — nested AND/OR groups of conditions over a whitelist of fields —
that the browser sends and templates store; it is never SQL. The engine's rooms:

  hooks                  the catalogue's extension point FILTER_FIELDS (`FieldDef`) and the product's own fields
  selectors.fields       the catalogue as read (registered fields + active attributes), values cleaned by control
  selectors.conditions   how the product's own fields become conditions over clients
  selectors.specs        `parse` (validate and normalise), `describe` (human text), `to_q` (one `Q` over `Client`)
  selectors.templates    static and saved templates: list, one by its ref, live counts (always inside access)
  selectors.session      the registry's active filter kept in the session
  services               saving and deleting one's own templates
  locks                  the template row being changed
"""
