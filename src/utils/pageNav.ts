// Grafana's page title and breadcrumbs for one SLO: "SLOs > llm-gateway / chat-availability > Edit"
// instead of every page titled "SLOs".

import { NavModelItem } from '@grafana/data';
import { sloPath } from './utils.routing';

export function sloPageNav(service: string, name: string): NavModelItem {
  return { text: `${service} / ${name}`, url: sloPath(service, name) };
}

export function editorPageNav(service?: string, name?: string): NavModelItem {
  return service && name ? { text: 'Edit', parentItem: sloPageNav(service, name) } : { text: 'New SLO' };
}
