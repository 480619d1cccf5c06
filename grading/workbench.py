"""To-dos from applications (filled in by the workbench providers of this issue)."""
