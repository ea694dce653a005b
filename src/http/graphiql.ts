import { type GraphiQLOptions, type Plugin, renderGraphiQL, shouldRenderGraphiQL } from 'graphql-yoga';

/**
 * GraphiQL for browsers at /graphql — registered after authentication (yoga's built-in one
 * answers before any plugin of ours, i.e. without credentials). An unauthenticated browser
 * gets the 401 Basic challenge first, hence the login prompt.
 */
export function useAuthenticatedGraphiQL(options: GraphiQLOptions): Plugin {
  const page = renderGraphiQL(options);
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql' || !shouldRenderGraphiQL(request)) return;
      endResponse(new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
    },
  };
}
