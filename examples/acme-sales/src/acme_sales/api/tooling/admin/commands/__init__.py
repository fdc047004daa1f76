"""The admin commands, one module each; `main` lists them."""
