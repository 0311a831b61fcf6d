/** A production webpack 5 build of the page (babel-loader, CSS extracted to a file), through webpack's API. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import webpack from 'webpack';

const here = path.dirname(fileURLToPath(import.meta.url));
// Babel picks React's development JSX runtime unless NODE_ENV says production (as `NODE_ENV=production webpack` would).
process.env.NODE_ENV = 'production';

const compiler = webpack({
  mode: 'production',
  context: here,
  entry: './src/main.tsx',
  output: { path: path.join(here, 'dist'), filename: '[name].[contenthash].js', clean: true },
  resolve: { extensions: ['.tsx', '.ts', '.js'] },
  module: {
    rules: [
      { test: /\.[jt]sx?$/, exclude: /node_modules/, use: 'babel-loader' },
      { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
    ],
  },
  performance: { hints: false },
  plugins: [
    new MiniCssExtractPlugin({ filename: '[name].[contenthash].css' }),
    new HtmlWebpackPlugin({ templateContent: '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host: webpack 5</title></head><body><div id="root"></div></body></html>' }),
  ],
});

const stats = await new Promise<webpack.Stats>((resolve, reject) => compiler.run((error, result) => (error || !result ? reject(error ?? new Error('no stats')) : resolve(result))));
await new Promise<void>((resolve) => compiler.close(() => resolve()));
const { errors = [], warnings = [] } = stats.toJson({ all: false, errors: true, warnings: true });
// A warning is a stranger's problem too ("use client" ignored, a critical dependency, a missing export).
if (errors.length || warnings.length) {
  console.error([...errors, ...warnings].map((e) => e.message).join('\n\n'));
  process.exit(1);
}
const files = Object.keys(stats.compilation.assets);
console.log(`webpack built ${files.length} files: ${files.filter((f) => /\.(js|css)$/.test(f)).length} scripts and stylesheets`);
