import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';

import { toApiError } from './api-error';
import { ConfigService } from './app-config';

/** Requests are written `@api/years`; this prefix is replaced by the configured API root. */
export const API_PREFIX = '@api';

/** Resolves `@api/...` against the runtime API root and maps HTTP failures to ApiError. */
export const apiInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(API_PREFIX + '/')) {
    return next(req);
  }
  const root = inject(ConfigService).config().apiRoot;
  const request = req.clone({ url: root + req.url.slice(API_PREFIX.length) });
  return next(request).pipe(
    catchError((e: unknown) =>
      throwError(() => (e instanceof HttpErrorResponse ? toApiError(e) : e)),
    ),
  );
};

/** The absolute URL of an API path, for links (downloads) that do not go through HttpClient. */
export function apiUrl(apiRoot: string, path: string): string {
  return apiRoot + path;
}
