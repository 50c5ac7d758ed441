/** What a system's login request may ask of Portvagt (`action`): a login, a first-time login, or linking another login method. */
export const ACTIONS = ['login', 'first-login', 'link'] as const;
export type Action = (typeof ACTIONS)[number];
