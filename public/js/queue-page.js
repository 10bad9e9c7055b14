// Shows how many answers wait in this browser's offline queue, sends them, or exports them.
import { exportFile, flush, onQueueChange, queue } from './offline-queue.js';

const page = document.querySelector('[data-queue-page]');
if (page) {
  page.querySelector('[data-queue-nojs]').hidden = true;
  page.querySelector('[data-queue-facts]').hidden = false;
  page.querySelector('[data-queue-actions]').hidden = false;
  onQueueChange((items) => {
    page.querySelector('[data-queue-waiting]').textContent = String(items.filter((i) => !i.rejected).length);
    page.querySelector('[data-queue-rejected]').textContent = String(items.filter((i) => i.rejected).length);
  });
  page.querySelector('[data-queue-send]').addEventListener('click', () => void flush());
  page.querySelector('[data-queue-export]').addEventListener('click', async () => exportFile(await queue.all()));
}
