"""The report framework (issue 15): a report is a declared class (`base.Report`) whose `build` gives a `Result`
(`result`); one renderer per format (`render`) turns any result into a screen, a file or a page image, and
`saved` keeps a result as a file to open later."""
