"""消息中心 (DESIGN §13): messages to an enterprise — matches, status changes, objection outcomes,
expiry warnings — each also sent by email through the job queue."""
