import { editorPageNav, sloPageNav } from './pageNav';

describe('page titles and breadcrumbs', () => {
  it('titles the detail page with the SLO and the editor under it', () => {
    expect(sloPageNav('llm-gateway', 'chat-availability')).toEqual({
      text: 'llm-gateway / chat-availability',
      url: '/a/burnrate-burnrate-app/slos/llm-gateway/chat-availability',
    });
    expect(editorPageNav('llm-gateway', 'chat-availability')).toEqual({
      text: 'Edit',
      parentItem: sloPageNav('llm-gateway', 'chat-availability'),
    });
    expect(editorPageNav()).toEqual({ text: 'New SLO' });
  });
});
