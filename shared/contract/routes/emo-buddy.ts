/** EmoBuddy sessions and messages (issue: wellbeing data). */
export const emoBuddyRoutes = {};
