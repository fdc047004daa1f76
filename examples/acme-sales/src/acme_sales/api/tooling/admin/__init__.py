"""`admin`: database migrations, seed data and other operator chores, one command each."""
