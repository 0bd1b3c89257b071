"""`python -m gateway_app` (with `generated/` and `examples/` on PYTHONPATH) runs the demo."""

from .app import main

main()
