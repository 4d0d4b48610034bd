// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
	site: 'https://fruit.example.org',
	integrations: [
		starlight({
			title: 'Fruit docs',
			defaultLocale: 'root',
			locales: {
				root: { label: 'English', lang: 'en' },
				es: { label: 'Español', lang: 'es' },
			},
			sidebar: [{ label: 'Guides', autogenerate: { directory: 'guides' } }],
		}),
	],
});
