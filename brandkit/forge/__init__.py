"""Brand changes through pull requests (issue #31): what the GitHub Action's scripts do on the
forge, through its REST API: one review comment per pull request, updated on each push; the
plan that was reviewed found again after the merge; thumbnails published where the comment can
show them."""
