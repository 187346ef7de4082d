// Builds the host page's bundle (tests/browser/host/entry.tsx): Grafana's shared modules from
// node_modules behind a tiny AMD loader. Used only by the browser test.
const path = require('path');

module.exports = {
  mode: 'production',
  context: __dirname,
  entry: { host: './host/entry.tsx' },
  output: {
    path: path.resolve(__dirname, '../../node_modules/.cache/burnrate-browser-host'),
    filename: '[name].js',
    publicPath: '/host/',
  },
  devtool: false,
  cache: {
    type: 'filesystem',
    cacheDirectory: path.resolve(__dirname, '../../node_modules/.cache/burnrate-browser-host-webpack'),
  },
  performance: { hints: false },
  optimization: { minimize: false, splitChunks: false },
  resolve: {
    extensions: ['.tsx', '.ts', '.mjs', '.js'],
    alias: {
      'grafana-runtime-plugin-page$': path.resolve(
        __dirname,
        '../../node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs'
      ),
    },
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2019',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'classic' } },
            },
          },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(png|jpe?g|gif|svg|woff2?|eot|ttf|otf)$/, type: 'asset/inline' },
    ],
  },
  plugins: [new (require('webpack').DefinePlugin)({ 'process.env.NODE_ENV': JSON.stringify('production') })],
};
