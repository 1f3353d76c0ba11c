import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { i18n } from './i18n';
import { createAppRouter } from './router';
import './styles.css';

const app = createApp(App);
app.use(createPinia()); // before the router: its guard uses the auth store
app.use(i18n);
app.use(ElementPlus);
app.use(createAppRouter());
app.mount('#app');
