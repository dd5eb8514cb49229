# Models arrive with their issues; the app is registered so migrations and imports are stable.
