"""The front end: MLIR text in, kernel IR out. Parsing and argument roles (`load`), older
spellings upgraded (`upgrade`), resizing to shrunk extents on the IR (`resize`), runtime
sizes (`dynamic`), local buffers promoted for analysis (`locals`)."""
