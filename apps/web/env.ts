/**
 * The one place the web app's Node-side tooling reads the environment (the browser code reads
 * none). `bundle-size.ts` builds the app in a child process with this process's environment, in
 * production mode, so the size measured is the size shipped.
 */
export function productionBuildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production' };
}
