"""The API's endpoints, one module per subject; each reads through the access layer
(`programs.access.scope`) and writes through its domain's services."""
