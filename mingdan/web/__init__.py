"""The web application for the people who document: browse, enter, review, publish (Django)."""
