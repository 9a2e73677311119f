/**
 * The part of autocannon's interface the HTTP benchmark uses. autocannon ships no types; this declaration
 * lets `tsc -b` check the benchmark without adding @types/autocannon to the workspace for one script.
 */
declare module "autocannon" {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }
    interface RequestStep<Context> {
      method?: string;
      setupRequest?: (request: Request, context: Context) => Request;
      onResponse?: (status: number, body: string, context: Context) => void;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      // biome-ignore lint/suspicious/noExplicitAny: each step chooses its own context type, as autocannon's own docs show.
      requests?: RequestStep<any>[];
    }
    interface Histogram {
      p50: number;
      p90: number;
      p99: number;
      max: number;
    }
    interface Result {
      duration: number;
      non2xx: number;
      errors: number;
      timeouts: number;
      latency: Histogram;
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
