import Typography, { TypographyProps } from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/**
 * One line of text that never grows its container: what does not fit ends
 * in an ellipsis, and the whole `text` shows on hover (the `title`
 * attribute, which screen readers announce too). For titles people choose,
 * up to the record limit of 200 characters, shown in places sized for far
 * less.
 *
 * `children` replaces the text when it needs markup (a link), with `text`
 * still the full text on hover.
 */
export function TruncatedText(props: {
  text: string;
  children?: ReactNode;
  variant?: TypographyProps['variant'];
  component?: 'span' | 'div' | 'p';
}) {
  const { text, children, variant = 'body2', component = 'span' } = props;
  return (
    <Typography
      noWrap
      variant={variant}
      component={component}
      title={text}
      // Block, so noWrap's ellipsis has a width to apply to; a min-width of
      // 0 lets a flex or grid parent shrink it below its text's width.
      style={{ display: 'block', minWidth: 0, maxWidth: '100%' }}
    >
      {children ?? text}
    </Typography>
  );
}
