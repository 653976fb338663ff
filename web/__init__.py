"""The web UI's feature modules: each a Flask blueprint that `create_app` registers."""
