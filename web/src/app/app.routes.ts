import { Routes } from '@angular/router';

import { Dashboard } from './dashboard/dashboard';

/** One page; its state is in the query parameters. Any other path shows it too (SPA fallback). */
export const routes: Routes = [
  { path: '', component: Dashboard, title: 'NTSB aviation accidents' },
  { path: '**', redirectTo: '' },
];
