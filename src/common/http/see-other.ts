/**
 * The result of a POST that a browser follows with a GET (redirect-after-POST).
 * HTML clients always get the 303; a JSON client gets `json` instead when the
 * handler gives one (its status defaults to the handler's own).
 */
export class SeeOther {
  constructor(
    readonly location: string,
    readonly json?: { status?: number; body?: unknown },
  ) {}
}

export const seeOther = (location: string, json?: { status?: number; body?: unknown }) => new SeeOther(location, json);
