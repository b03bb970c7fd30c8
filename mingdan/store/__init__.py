"""Storage: the Django models of a case and the case folder that holds them."""
