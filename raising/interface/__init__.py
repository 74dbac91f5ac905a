"""What users call: the command line (`cli`), batch mode over files and folders (`batch`)
and the Python API (`api`). The top of the tool's layers."""
