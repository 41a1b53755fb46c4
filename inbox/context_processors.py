from inbox.selectors import unread_count


def inbox(request) -> dict:
    """The header's unread count, for an enterprise user's pages (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_enterprise:
        return {}
    return {"unread_messages": unread_count(user)}
