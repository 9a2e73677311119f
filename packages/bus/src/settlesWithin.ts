/**
 * Whether the promise settled within `milliseconds` (its outcome is the caller's to read, if it wants).
 * The timer does not keep the process alive: a process with nothing else left to do is not held up by a
 * wait that only bounds another.
 */
export const settlesWithin = (promise: Promise<unknown>, milliseconds: number): Promise<boolean> => {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), milliseconds);
    timer.unref();
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
};
