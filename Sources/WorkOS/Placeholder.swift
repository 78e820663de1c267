// WorkOS
