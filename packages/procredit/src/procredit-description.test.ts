import { describe, expect, it } from 'vitest';
import { toBankDescription } from './procredit-description.js';

describe('toBankDescription', () => {
  it('transliterates Georgian (national system)', () => {
    expect(toBankDescription('შეკვეთა 12345')).toBe('shekveta 12345');
    expect(toBankDescription('კურსი №5: ქართული')).toBe('kursi No5: kartuli');
    expect(toBankDescription('წყალი, ჭადრაკი, ღვინო, ყველი, ჯიხვი, ჰაერი')).toBe(
      'tsqali, chadraki, ghvino, qveli, jikhvi, haeri',
    );
  });

  it('transliterates Russian and Kazakh Cyrillic and removes accents', () => {
    expect(toBankDescription('Заказ №7 Щука')).toBe('Zakaz No7 Shchuka');
    expect(toBankDescription('Bakı şəhəri, Ağdam')).toBe('Baki seheri, Agdam');
    expect(toBankDescription('Café Zürich')).toBe('Cafe Zurich');
  });

  it('drops what the bank does not accept and collapses spaces', () => {
    expect(toBankDescription('  Order <script>"1"</script> 💳 & more  ')).toBe('Order script 1 /script more');
    expect(toBankDescription('漢字')).toBe('');
  });

  it('cuts to the maximum length', () => {
    const text = toBankDescription('a'.repeat(300));
    expect(text).toHaveLength(120);
    expect(toBankDescription('Course enrollment', 6)).toBe('Course');
  });
});
