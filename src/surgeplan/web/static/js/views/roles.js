// What the signed-in role may do, for showing or hiding controls (the server decides).

export const canEdit = (session) => ["admin", "planner"].includes(session.user.role);
export const seesNames = (session) => session.user.role !== "viewer";
