"""Custom classifiers (признаки-классификаторы, DIR-06): the administrator's own client attributes.

Values live in typed, indexed columns of AttributeValue, so filtering on them over a million clients is an
index range, never a scan of JSON.
"""
