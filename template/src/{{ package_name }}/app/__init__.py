"""HTTP <-> business translation: handlers, JSON models, middleware, the error model."""
