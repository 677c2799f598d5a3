import { TestBed } from '@angular/core/testing';
import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { firstValueFrom } from 'rxjs';

import { apiInterceptor } from './api-interceptor';

describe('apiInterceptor', () => {
  beforeEach(() =>
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([apiInterceptor])),
        provideHttpClientTesting(),
      ],
    }),
  );

  it('leaves requests that are not for the API alone, errors included', async () => {
    const http = TestBed.inject(HttpClient);
    const ctl = TestBed.inject(HttpTestingController);
    const result = firstValueFrom(http.get('assets/thing.json')).catch((e: unknown) => e);
    ctl.expectOne('assets/thing.json').flush('x', { status: 429, statusText: 'Too Many Requests' });
    expect(await result).toBeInstanceOf(HttpErrorResponse);
    ctl.verify();
  });
});
