/**
 * A tiny signal between the survey model and the caches that hold surveys: the model announces
 * every write, the caches forget what they hold. (A module of its own so the model does not
 * import the services that import it.)
 */
const listeners = new Set<() => void>();

export function onSurveysChanged(listener: () => void): void {
  listeners.add(listener);
}

export function surveysChanged(): void {
  for (const listener of listeners) listener();
}
