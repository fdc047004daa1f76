"""Keys, tokens and policies: the app layer's authentication and authorization."""
