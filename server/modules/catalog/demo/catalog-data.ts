/**
 * Word lists for the demo catalog: enough variety for realistic browsing, search and facets,
 * with every product's options and names built to fit its category.
 */
export interface CategorySpec {
  slug: string;
  name: string;
  parent?: string;
  /** Product nouns sold in this category (leaf categories only). */
  nouns?: string[];
  /** Materials that make sense for those nouns. */
  materials?: string[];
  options?: { name: string; values: string[] }[];
  price?: [number, number];
  hue?: number;
}

const SIZES = { name: 'Size', values: ['XS', 'S', 'M', 'L', 'XL'] };
const COLOURS = { name: 'Colour', values: ['Black', 'White', 'Navy', 'Olive', 'Rust', 'Sand'] };

export const CATEGORY_SPECS: CategorySpec[] = [
  { slug: 'clothing', name: 'Clothing' },
  {
    slug: 't-shirts',
    name: 'T-Shirts',
    parent: 'clothing',
    materials: ['Cotton', 'Organic Cotton', 'Linen', 'Merino', 'Bamboo', 'Hemp'],
    nouns: ['T-Shirt', 'Tee', 'Pocket Tee', 'Long Sleeve Tee'],
    options: [SIZES, COLOURS],
    price: [1500, 4500],
    hue: 210,
  },
  {
    slug: 'hoodies',
    name: 'Hoodies & Sweatshirts',
    parent: 'clothing',
    materials: ['Cotton', 'Fleece', 'Merino', 'Recycled Cotton'],
    nouns: ['Hoodie', 'Zip Hoodie', 'Sweatshirt', 'Crewneck'],
    options: [SIZES, COLOURS],
    price: [4500, 9500],
    hue: 260,
  },
  {
    slug: 'jackets',
    name: 'Jackets',
    parent: 'clothing',
    materials: ['Waxed Cotton', 'Denim', 'Nylon', 'Wool', 'Canvas'],
    nouns: ['Rain Jacket', 'Denim Jacket', 'Puffer Jacket', 'Field Jacket'],
    options: [SIZES],
    price: [8900, 24900],
    hue: 20,
  },
  { slug: 'home', name: 'Home & Kitchen' },
  {
    slug: 'kitchen',
    name: 'Kitchen',
    parent: 'home',
    materials: ['Walnut', 'Oak', 'Steel', 'Copper', 'Ceramic', 'Stoneware'],
    nouns: ['Chef Knife', 'Cast Iron Skillet', 'Cutting Board', 'French Press', 'Espresso Cups', 'Mixing Bowl'],
    price: [1200, 14900],
    hue: 35,
  },
  {
    slug: 'decor',
    name: 'Decor',
    parent: 'home',
    materials: ['Ceramic', 'Linen', 'Oak', 'Stoneware', 'Wool', 'Rattan'],
    nouns: ['Vase', 'Throw Blanket', 'Linen Cushion', 'Wall Clock', 'Scented Candle'],
    options: [{ name: 'Colour', values: ['Natural', 'Charcoal', 'Terracotta', 'Sage'] }],
    price: [1800, 8900],
    hue: 90,
  },
  { slug: 'electronics', name: 'Electronics' },
  {
    slug: 'audio',
    name: 'Audio',
    parent: 'electronics',
    materials: ['Aluminium', 'Walnut', 'Matte', 'Studio'],
    nouns: ['Wireless Headphones', 'Bluetooth Speaker', 'Earbuds', 'Turntable'],
    options: [{ name: 'Colour', values: ['Black', 'Silver', 'Blue'] }],
    price: [2900, 39900],
    hue: 190,
  },
  {
    slug: 'accessories',
    name: 'Accessories',
    parent: 'electronics',
    materials: ['Braided', 'Leather', 'Aluminium', 'Silicone', 'Canvas'],
    nouns: ['USB-C Cable', 'Phone Case', 'Laptop Sleeve', 'Power Bank', 'Charging Stand'],
    price: [900, 7900],
    hue: 160,
  },
  { slug: 'outdoors', name: 'Outdoors' },
  {
    slug: 'camping',
    name: 'Camping',
    parent: 'outdoors',
    materials: ['Ultralight', 'Nylon', 'Titanium', 'Down', 'Canvas'],
    nouns: ['Tent', 'Sleeping Bag', 'Camping Stove', 'Headlamp', 'Trekking Poles'],
    options: [{ name: 'Capacity', values: ['1 person', '2 person', '4 person'] }],
    price: [1900, 42900],
    hue: 120,
  },
  {
    slug: 'bags',
    name: 'Bags',
    parent: 'outdoors',
    materials: ['Canvas', 'Leather', 'Nylon', 'Waxed Canvas', 'Recycled'],
    nouns: ['Backpack', 'Duffel Bag', 'Tote', 'Sling Bag', 'Daypack'],
    options: [{ name: 'Colour', values: ['Black', 'Olive', 'Sand', 'Red'] }],
    price: [2500, 18900],
    hue: 0,
  },
  { slug: 'coffee-tea', name: 'Coffee & Tea' },
  {
    slug: 'coffee',
    name: 'Coffee',
    parent: 'coffee-tea',
    materials: ['Colombian', 'Ethiopian', 'Guatemalan', 'Sumatran', 'Kenyan'],
    nouns: ['Espresso Blend', 'Single Origin Beans', 'Decaf Roast', 'Cold Brew Pack'],
    options: [{ name: 'Weight', values: ['250 g', '500 g', '1 kg'] }],
    price: [900, 4900],
    hue: 25,
  },
  {
    slug: 'tea',
    name: 'Tea',
    parent: 'coffee-tea',
    materials: ['Japanese', 'Darjeeling', 'Ceylon', 'Chinese', 'Loose Leaf'],
    nouns: ['Green Tea', 'Earl Grey', 'Chamomile Infusion', 'Matcha Powder', 'Oolong'],
    options: [{ name: 'Weight', values: ['50 g', '100 g'] }],
    price: [600, 3900],
    hue: 100,
  },
];

export const ADJECTIVES = [
  'Classic',
  'Organic',
  'Everyday',
  'Premium',
  'Vintage',
  'Essential',
  'Heritage',
  'Alpine',
  'Coastal',
  'Urban',
  'Nordic',
  'Handmade',
  'Recycled',
  'Lightweight',
  'Heavyweight',
  'Signature',
  'Studio',
  'Trail',
  'Harbor',
  'Meadow',
];
export const MATERIALS = [
  'Cotton',
  'Linen',
  'Merino',
  'Bamboo',
  'Canvas',
  'Oak',
  'Walnut',
  'Ceramic',
  'Steel',
  'Copper',
  'Stoneware',
  'Hemp',
];
export const PLACES = [
  'Kyoto',
  'Lisbon',
  'Oslo',
  'Bogotá',
  'Nairobi',
  'Montréal',
  'Tasmania',
  'Yirgacheffe',
  'Sumatra',
  'Provence',
];
export const BENEFITS = [
  'built to last for years of daily use',
  'easy to care for and machine washable',
  'designed in small batches by independent makers',
  'made with responsibly sourced materials',
  'a favourite of our staff since the shop opened',
  'packed plastic-free and shipped carbon-neutral',
  'backed by our two-year guarantee',
];
export const TAGS = ['new', 'bestseller', 'eco', 'gift', 'limited', 'sale', 'staff-pick'];
