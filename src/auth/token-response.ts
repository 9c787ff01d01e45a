export interface TokenPair {
  /** Whose login it is (never sent to the client). */
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  persistent: boolean;
  refreshExpiresAt: Date;
  /** Only when a login completes, never at a refresh: see LoginThrottle. */
  deviceToken?: string;
}

/** The OAuth 2.0-style body of RFC 6749 §5.1, as docs/http.md fixes it. */
export function tokenResponse(pair: TokenPair) {
  return {
    access_token: pair.accessToken,
    refresh_token: pair.refreshToken,
    token_type: 'Bearer' as const,
    expires_in: pair.expiresIn,
    ...(pair.deviceToken === undefined ? {} : { device_token: pair.deviceToken }),
  };
}
