import type { Response } from 'express';

/** What the staff sign-in page shows besides its form. */
export interface LoginState {
  email?: string;
  next?: string;
  /** A `staff:login.errors` key. */
  error?: string;
  /** Just signed out: says so. */
  signedOut?: boolean;
  /** No form: it could not work on this connection (see proxy-https.ts). */
  blocked?: boolean;
  /** The setting and the header named by the `notHttps` page. */
  proxy?: { setting: string; header: string };
}

/** Renders the sign-in page (the sign-in routes, and the proxy check when sign-in cannot work). */
export function renderLogin(res: Response, status: number, state: LoginState): void {
  res.status(status).render('staff/login', { email: '', next: '', error: '', signedOut: false, blocked: false, proxy: {}, ...state });
}
